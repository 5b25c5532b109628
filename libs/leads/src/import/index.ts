export * from './import-fields';
export * from './leads-import.controller';
export * from './leads-import.handler';
export * from './leads-import.service';
export * from './leads-importer';
