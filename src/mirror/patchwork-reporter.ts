// Posts a check to Patchwork for a reviewed patch, the way KPD does it: skip the post when Patchwork already
// shows our newest check with the same state and URL, and never replace a conclusive state with "pending".
// Both rules also make a resend after a crash harmless.

import type { CheckSink } from "./outbox-dispatcher.js";
import { CHECK_CONTEXT, type CheckPayload, type CheckState } from "./patchwork-check.js";
import type { PatchworkClient } from "./patchwork-client.js";

export type ReportResult = "posted" | "unchanged" | "not-downgraded";

interface PatchworkCheck {
  id: number;
  date: string;
  state: CheckState;
  target_url: string | null;
  context: string;
}

const CONCLUSIVE = new Set<CheckState>(["success", "warning", "fail"]);

export class PatchworkReporter implements CheckSink {
  readonly description: string;

  constructor(
    private readonly client: PatchworkClient,
    private readonly opts: { project?: string; context?: string } = {},
  ) {
    this.description = `patchwork ${client.apiBase} (context ${opts.context ?? CHECK_CONTEXT})`;
  }

  async send(check: CheckPayload): Promise<void> {
    await this.report(check);
  }

  async report(check: CheckPayload): Promise<ReportResult> {
    const context = this.opts.context ?? CHECK_CONTEXT;
    const patchId = check.patchId ?? (await this.findPatch(check.msgid));
    const existing = await this.client.list<PatchworkCheck>(`patches/${patchId}/checks/`);
    const newest = existing
      .filter((c) => c.context === context)
      .sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)
      .at(-1);
    if (newest) {
      if (check.state === "pending" && CONCLUSIVE.has(newest.state)) return "not-downgraded";
      if (newest.state === check.state && (newest.target_url ?? null) === (check.targetUrl ?? null)) {
        return "unchanged";
      }
    }
    await this.client.post(`patches/${patchId}/checks/`, {
      state: check.state,
      context,
      description: check.description,
      ...(check.targetUrl !== undefined && { target_url: check.targetUrl }),
    });
    return "posted";
  }

  /** Patchwork may not have parsed the mail yet: the error makes the dispatcher retry later. */
  private async findPatch(msgid: string): Promise<number> {
    const patches = await this.client.list<{ id: number }>("patches/", {
      project: this.opts.project,
      msgid,
    });
    const patch = patches[0];
    if (!patch) throw new Error(`Patchwork has no patch with Message-Id <${msgid}> (yet)`);
    return patch.id;
  }
}
