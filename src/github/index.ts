import type { ApplicationFunction } from "probot";
import type { AssembledPipeline } from "../mirror/assemble.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { loadRules } from "../rules/load.js";
import { createApp } from "./app.js";
import type { KeyedQueue } from "./dedupe.js";
import { exitOnConfigError, readMailSideConfig, startMailSide } from "./mail-side.js";

export interface ShippedApp {
  app: ApplicationFunction;
  /** The mail pipeline, once the app is loaded with an environment that configures one. */
  mail?: AssembledPipeline;
}

/** Pull-request reviews, plus the mail side (mirror pushes, POST /patches) when `env` configures it. */
export function shippedApp(env: NodeJS.ProcessEnv, queue?: KeyedQueue): ShippedApp {
  const shipped: ShippedApp = {
    app: async (app, options) => {
      const mailConfig = readMailSideConfig(env);
      const rules = loadRules(DEFAULT_RULES_DIR);
      await createApp({ rules, ...(queue && { queue }) })(app, options);
      if (mailConfig) shipped.mail = await startMailSide(app, options, mailConfig, rules);
    },
  };
  return shipped;
}

/** The app function `probot run ./lib/github/index.js` loads. */
export default exitOnConfigError(shippedApp(process.env).app);
