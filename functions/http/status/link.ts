/** The company's link to its case: the status page, with the token that opens it. */
export function statusUrl(publicBaseUrl: string, reference: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, "")}/status/${reference}?token=${encodeURIComponent(token)}`;
}
