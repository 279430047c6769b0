// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing
// (electron/electron docs/tutorial/fuses.md; architecture.md §6 of ../shared asks for them).
// - RunAsNode off: the app binary cannot be used as a plain Node (the packaged `companion` CLI
//   runs through the app's own `--cli` mode instead, see electron/shell/main.ts);
// - NODE_OPTIONS and --inspect ignored; cookies encrypted with the OS key;
// - the app loads only from app.asar, and macOS/Windows validate its integrity;
// - file:// pages get no extra privileges (the app is served from app://).
// strictlyRequireAllFuses makes an Electron upgrade that adds a fuse fail here until it is decided.
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

const FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The file holding the fuse wire: the .app bundle on macOS, else the executable. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  // Flipping bytes breaks an ad-hoc signature (Apple silicon): let @electron/fuses redo it.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === 3; // builder-util Arch.arm64
  await flipFuses(electronBinaryPath(context), { ...FUSES, resetAdHocDarwinSignature });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinaryPath = electronBinaryPath;
