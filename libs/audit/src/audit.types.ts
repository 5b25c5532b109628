export enum LogType {
  Auth = 'auth',
  Admin = 'admin',
  Agent = 'agent',
  Error = 'error',
  System = 'system',
}

export enum LogLevel {
  Info = 'info',
  Warn = 'warn',
  Error = 'error',
}
