// A receipt handle names one receive of one message: "<message id>:<receipt uuid, hex>".
// It fits CMQ's handle alphabet [a-zA-Z0-9%#:_-]{1,256}.

const handlePattern = /^(\d{1,19}):([0-9a-f]{32})$/;

export function formatReceiptHandle(id: string, receipt: string): string {
  return `${id}:${receipt.replaceAll("-", "")}`;
}

export function parseReceiptHandle(handle: string): { id: string; receipt: string } | null {
  const match = handlePattern.exec(handle);
  if (!match?.[1] || !match[2]) return null;
  const hex = match[2];
  const receipt = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (BigInt(match[1]) > 9_223_372_036_854_775_807n) return null;
  return { id: match[1], receipt };
}
