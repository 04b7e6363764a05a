// Which values a page asked its URL to take and has not yet seen arrive — how a filter's fields tell
// the URL catching up with them (keep what is typed) from the URL changing by itself (Back, Forward,
// a link: show the URL's value). Values are compared by key (a canonical string of the filter).
//
// Next drops a navigation that a newer one overtakes, so a requested value may never arrive; when a
// later one does, it settles every request older than it.

export type Arrival = "unchanged" | "requested" | "external";

export class UrlExpectations {
  private expected: string[] = [];

  constructor(private seen: string) {}

  /** The URL now holds `key`. "requested" when this page asked for it, "external" otherwise. */
  arrive(key: string): Arrival {
    if (key === this.seen) return "unchanged";
    this.seen = key;
    const at = this.expected.indexOf(key);
    if (at >= 0) {
      this.expected.splice(0, at + 1);
      return "requested";
    }
    this.expected = [];
    return "external";
  }

  /**
   * The page is about to ask for `key`. False when the URL holds it already and nothing else is on
   * its way: then there is nothing to ask for.
   */
  request(key: string): boolean {
    if (key === this.seen && this.expected.length === 0) return false;
    this.expected.push(key);
    return true;
  }
}
