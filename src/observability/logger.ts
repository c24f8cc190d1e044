import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'dfdg-graphql' },
    // Personal data must not reach the logs by accident through tokens or headers.
    redact: ['req.headers.authorization', 'authorization', 'connectionParams.Authorization', 'connectionParams.authorization'],
  });
}
