/**
 * A small structured logger: one JSON line per event, so production logs can be searched. A line
 * written while a request is handled carries that request's id (see http/request-id.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, ctx?: object): void;
  info(msg: string, ctx?: object): void;
  warn(msg: string, ctx?: object): void;
  error(msg: string, ctx?: object): void;
}

/** The request being handled, for every log line written on its behalf. */
export const logContext = new AsyncLocalStorage<{ requestId: string }>();

type Sink = (level: Level, line: string) => void;
const stdio: Sink = (lvl, line) =>
  (lvl === 'error' || lvl === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);

/** Builds a logger writing at or above `level` to stdout/stderr (or to `sink`). */
export function createLogger(level: Level, sink: Sink = stdio): Logger {
  const write = (lvl: Level, msg: string, ctx?: object) => {
    if (order[lvl] < order[level]) return;
    const requestId = logContext.getStore()?.requestId;
    sink(
      lvl,
      JSON.stringify({
        time: new Date().toISOString(),
        level: lvl,
        msg,
        ...(requestId ? { requestId } : {}),
        ...ctx,
      }),
    );
  };
  return {
    debug: (m, c) => {
      write('debug', m, c);
    },
    info: (m, c) => {
      write('info', m, c);
    },
    warn: (m, c) => {
      write('warn', m, c);
    },
    error: (m, c) => {
      write('error', m, c);
    },
  };
}
