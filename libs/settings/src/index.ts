export * from './settings.module';
export * from './workspace-settings.service';
export * from './general-settings.dto';
export * from './integration-settings.dto';
export * from './notification-settings.dto';
export * from './scheduling-settings.dto';
export * from './management.dto';
export * from './settings.validators';
