/** plotly's marker symbol definitions (plotly.js/src/components/drawing/symbol_defs.js), which canvas-markers.ts draws with. */
declare module 'plotly.js/src/components/drawing/symbol_defs' {
  const defs: Record<string, { n: number; f(r: number, angle: number, standoff: number): string; noDot?: boolean; noFill?: boolean; needLine?: boolean }>;
  export default defs;
}
