// The App's credentials, checked before Probot starts so that a missing or unusable one ends the process with
// one line naming the variable, and then once against GitHub (GET /app) so that a wrong pair does too.

import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Probot } from "probot";

/** A credential the App cannot run with; the message is one line and names the variable. */
export class CredentialError extends Error {
  override name = "CredentialError";
}

/**
 * Throws CredentialError for what Probot would turn into a stack trace or a silent failure later. Without APP_ID
 * outside production there is nothing to check: Probot starts its setup mode.
 */
export function checkCredentials(env: NodeJS.ProcessEnv): void {
  const production = env.NODE_ENV === "production";
  const appId = env.APP_ID?.trim();
  if (!appId) {
    if (production) throw new CredentialError("APP_ID is not set (NODE_ENV=production has no setup mode)");
    return;
  }
  if (!/^[1-9]\d*$/.test(appId))
    throw new CredentialError(`APP_ID must be the App's numeric id, not '${appId}'`);
  const key = privateKeyText(env);
  try {
    createPrivateKey(key.text);
  } catch {
    throw new CredentialError(`${key.from} is not a PEM private key (PKCS#1 or PKCS#8)`);
  }
  if (production && !env.WEBHOOK_SECRET) {
    throw new CredentialError(
      "WEBHOOK_SECRET is not set: Probot would accept deliveries signed with its default, 'development'",
    );
  }
}

function privateKeyText(env: NodeJS.ProcessEnv): { text: string; from: string } {
  if (env.PRIVATE_KEY) {
    const raw = env.PRIVATE_KEY.replace(/\\n/g, "\n");
    // Probot also takes the PEM base64-encoded.
    const text = raw.includes("-----BEGIN") ? raw : Buffer.from(raw, "base64").toString("utf8");
    return { text, from: "PRIVATE_KEY" };
  }
  const path = env.PRIVATE_KEY_PATH;
  if (!path) throw new CredentialError("APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH is");
  try {
    return { text: readFileSync(path, "utf8"), from: `PRIVATE_KEY_PATH ${path}` };
  } catch (e) {
    throw new CredentialError(
      `PRIVATE_KEY_PATH ${path}: ${(e as NodeJS.ErrnoException).code ?? "unreadable"}`,
    );
  }
}

/**
 * Asks GitHub who the App is. 401 means APP_ID and the key do not belong together: CredentialError. Any other
 * failure (GitHub unreachable) is only logged; the App may still be fine once GitHub answers.
 */
export async function verifyWithGitHub(app: Probot): Promise<void> {
  try {
    const octokit = await app.auth();
    const { data } = await octokit.rest.apps.getAuthenticated();
    app.log.info(`authenticated as the App '${data?.slug ?? data?.name ?? "?"}'`);
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 401 || status === 404) {
      throw new CredentialError(
        `GitHub refused the App's credentials (HTTP ${status}): APP_ID and the private key do not belong together`,
      );
    }
    app.log.warn(`could not check the App's credentials with GitHub: ${(e as Error).message}`);
  }
}
