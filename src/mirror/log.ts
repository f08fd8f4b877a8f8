// The log of `iommu-review serve`: one line per event on stderr, as text for a terminal or as JSON objects
// (time, level, msg and any fields) for a log collector. LOG_FORMAT picks one; without it, production
// (NODE_ENV=production) gets JSON, as Probot does for the App.

export type LogFormat = "text" | "json";
export type LogLevel = "info" | "warn" | "error";

export interface Log {
  (line: string, fields?: Record<string, unknown>): void;
  warn(line: string, fields?: Record<string, unknown>): void;
  error(line: string, fields?: Record<string, unknown>): void;
}

export function logFormatOf(env: NodeJS.ProcessEnv): LogFormat {
  const format = env.LOG_FORMAT?.toLowerCase();
  if (format === "json") return "json";
  if (format === "pretty" || format === "text") return "text";
  return env.NODE_ENV === "production" ? "json" : "text";
}

export function createLog(out: NodeJS.WritableStream, format: LogFormat, now = () => new Date()): Log {
  const write = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    const time = now().toISOString();
    if (format === "json") {
      out.write(`${JSON.stringify({ time, level, msg, ...fields })}\n`);
      return;
    }
    const extra = Object.entries(fields)
      .map(([key, value]) => ` ${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("");
    out.write(`${time}${level === "info" ? "" : ` ${level.toUpperCase()}`} ${msg}${extra}\n`);
  };
  const log = ((line: string, fields?: Record<string, unknown>) => write("info", line, fields)) as Log;
  log.warn = (line, fields) => write("warn", line, fields);
  log.error = (line, fields) => write("error", line, fields);
  return log;
}
