// The part of MJML 5's API Dispatch uses (the package ships no type declarations).
declare module 'mjml' {
  export interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    /** Web fonts MJML links when a font-family names one; {} links none. */
    fonts?: Record<string, string>;
    keepComments?: boolean;
    minify?: boolean;
  }
  export interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  export interface MjmlResult {
    html: string;
    errors: MjmlError[];
  }
  /** Compiles MJML to HTML; with validationLevel 'strict' it rejects on any validation error. */
  export default function mjml2html(input: string, options?: MjmlOptions): Promise<MjmlResult>;
}
