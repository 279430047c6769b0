/** js-yaml (4.x, comes with electron-builder) has no bundled types; the layout reads one document. */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
