/**
 * An email address that may wrap before its "@" and nowhere else, so a long one does not widen its
 * column (nor break mid-word: "owner-mx3…" / "@e2e.test", never "own/er").
 */
export function Email({ address }: { address: string }) {
  const at = address.lastIndexOf("@");
  if (at <= 0) return <span className="nowrap">{address}</span>;
  return (
    <>
      <span className="nowrap">{address.slice(0, at)}</span>
      <wbr />
      <span className="nowrap">{address.slice(at)}</span>
    </>
  );
}
