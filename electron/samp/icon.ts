/**
 * The icon our SAMP metadata points at (`samp.icon.url`), drawn at start-up as a 32×32 PNG — a
 * six-pointed star (SPICA's six telescopes) on a dark disc — so it needs no file in the bundle
 * and no network. Java peers (ASPRO2's hub monitor) read PNG, not SVG.
 */
import { deflateSync } from 'node:zlib';

const SIZE = 32;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Whether pixel (x, y) of the icon lies inside the six-pointed star. */
function inStar(x: number, y: number): boolean {
  const dx = x - SIZE / 2 + 0.5;
  const dy = y - SIZE / 2 + 0.5;
  const r = Math.hypot(dx, dy);
  const angle = Math.atan2(dy, dx);
  // Radius of the star outline at this angle: 6 points between an inner and an outer radius.
  const phase = Math.abs(((angle / (Math.PI / 3)) % 1 + 1) % 1 - 0.5) * 2;
  return r <= 5 + 8 * phase;
}

/** The icon as PNG bytes (RGBA). */
export function companionIconPng(): Buffer {
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (SIZE * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < SIZE; x++) {
      const o = row + 1 + x * 4;
      const inDisc = Math.hypot(x - SIZE / 2 + 0.5, y - SIZE / 2 + 0.5) <= SIZE / 2;
      const [r, g, b, a] = inStar(x, y) ? [255, 214, 102, 255] : inDisc ? [28, 36, 64, 255] : [0, 0, 0, 0];
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8;
  header[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
