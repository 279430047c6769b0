/** Security constants shared by the Electron shell, browser mode and the renderer's index.html. */

/**
 * The Content-Security-Policy of every page the app shows: scripts only from the app itself, no
 * network beyond the app's own origin (the renderer reaches services only through the contract).
 * Plotly needs inline styles and blob/data images; workers come from blob: URLs.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'; form-action 'none'";
