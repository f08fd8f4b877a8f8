// What an incremental scan remembers between runs: for each public-inbox repository (by real path), the
// last commit it read. A JSON file, written whole through a temporary file so that a crash leaves the old one.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

interface StateFile {
  version: 1;
  repositories: Record<string, { lastCommit: string; scannedAt: string }>;
}

/** $XDG_STATE_HOME/iommu-review/scan-state.json, or ~/.local/state/... */
export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(base, "iommu-review", "scan-state.json");
}

export class ScanState {
  private constructor(
    readonly path: string,
    private readonly data: StateFile,
  ) {}

  /** The state at `path`; an absent file is an empty state, an unreadable one an error. */
  static load(path: string): ScanState {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        return new ScanState(path, { version: 1, repositories: {} });
      throw error;
    }
    const data = JSON.parse(text) as StateFile;
    if (data?.version !== 1 || typeof data.repositories !== "object")
      throw new Error(`${path}: not an iommu-review scan state file`);
    return new ScanState(path, data);
  }

  lastCommit(repository: string): string | undefined {
    return this.data.repositories[repository]?.lastCommit;
  }

  setLastCommit(repository: string, commit: string, when = new Date()): void {
    this.data.repositories[repository] = { lastCommit: commit, scannedAt: when.toISOString() };
  }

  save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}
