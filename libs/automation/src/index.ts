export * from './automation-rule.entity';
export * from './automation-run.entity';
export * from './automation.dto';
export * from './automation.service';
export * from './automation-runner';
export * from './automation-scheduler';
export * from './automation.module';
