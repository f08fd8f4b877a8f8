// The layout the text and markdown renderers share: an optional opening block, a block per reviewed entry in
// input order, then a footer listing the entries that were not reviewed. renderDocument lays out a whole
// review; DocumentWriter lays out the same text entry by entry, keeping only the footer's lines, so that an
// archive of any size is rendered in bounded memory.

import type { PatchReview, Review } from "../model.js";
import { isReviewed } from "./common.js";

export interface DocumentLayout {
  opening?: string;
  /** The block of a reviewed entry. */
  reviewed(entry: PatchReview): string;
  /** The footer's line for an entry that was skipped or could not be read. */
  notReviewedLine(entry: PatchReview): string;
  footer(lines: string[]): string;
}

const NO_PATCHES = "No patches in the input.";

export function renderDocument(review: Review, layout: DocumentLayout): string {
  let text = "";
  const writer = new DocumentWriter(layout, (chunk) => {
    text += chunk;
  });
  for (const entry of review.patches) writer.add(entry);
  writer.end();
  return text;
}

export class DocumentWriter {
  private readonly footerLines: string[] = [];
  private entries = 0;
  private started = false;

  constructor(
    private readonly layout: DocumentLayout,
    private readonly out: (chunk: string) => void,
  ) {
    if (layout.opening !== undefined) this.block(layout.opening);
  }

  add(entry: PatchReview): void {
    this.entries++;
    if (isReviewed(entry)) this.block(this.layout.reviewed(entry));
    else this.footerLines.push(this.layout.notReviewedLine(entry));
  }

  end(): void {
    if (this.footerLines.length > 0) this.block(this.layout.footer(this.footerLines));
    if (this.entries === 0) this.block(NO_PATCHES);
    this.out("\n");
  }

  /** Blocks are separated by one empty line. */
  private block(text: string): void {
    this.out(this.started ? `\n\n${text}` : text);
    this.started = true;
  }
}
