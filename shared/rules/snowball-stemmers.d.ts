/** Types for the untyped `snowball-stemmers` package (a CommonJS port of the Snowball stemmers). */
declare module "snowball-stemmers" {
  export interface Stemmer {
    /** The stem of one lowercase word. */
    stem(word: string): string;
  }
  /** A stemmer for a language named as in `algorithms()`, e.g. "danish", "english". */
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
}
