/** What an action did, said once on the page it led to (a live region: read out as it appears). */
export function Confirmation(p: { text: string | undefined }) {
  return p.text ? (
    <p class="confirmation" role="status">
      {p.text}
    </p>
  ) : null;
}
