/** A dynamic route segment as the user typed it; a malformed %-escape is kept as it is, not a 500. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
