/**
 * The part of papaparse's API the app uses (text in, text out), for the web type-check project:
 * tsconfig.web.json maps 'papaparse' to this file. @types/papaparse references Node's types (for
 * its stream input), which would bring `process`, `Buffer` and `NodeJS` into the renderer's type
 * check. The Node project keeps the real @types/papaparse, so shared code is checked against both.
 */
declare namespace Papa {
  interface ParseConfig {
    header?: boolean;
    skipEmptyLines?: boolean | 'greedy';
    transformHeader?(header: string, index: number): string;
    delimiter?: string;
    comments?: boolean | string;
    dynamicTyping?: boolean;
  }
  interface ParseError {
    type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
    code: 'MissingQuotes' | 'UndetectableDelimiter' | 'TooFewFields' | 'TooManyFields' | 'InvalidQuotes';
    message: string;
    row?: number;
    index?: number;
  }
  interface ParseMeta {
    delimiter: string;
    linebreak: string;
    aborted: boolean;
    truncated: boolean;
    cursor: number;
    fields?: string[];
  }
  interface ParseResult<T> {
    data: T[];
    errors: ParseError[];
    meta: ParseMeta;
  }
  interface UnparseConfig {
    quotes?: boolean | boolean[];
    delimiter?: string;
    header?: boolean;
    newline?: string;
    skipEmptyLines?: boolean | 'greedy';
    columns?: string[];
    escapeFormulae?: boolean | RegExp;
  }
}

declare const Papa: {
  parse<T>(input: string, config?: Papa.ParseConfig): Papa.ParseResult<T>;
  unparse(data: unknown[] | { fields: string[]; data: unknown[] }, config?: Papa.UnparseConfig): string;
};

export default Papa;
