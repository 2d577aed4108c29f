/** Types for the vendored Snowball stemmers (snowball.js). */
export interface Stemmer {
  /** The stem of one lowercase word. */
  stem(word: string): string;
}
/** A stemmer for "danish" or "english". */
export function newStemmer(language: "danish" | "english"): Stemmer;
