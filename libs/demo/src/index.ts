export * from './demo-data';
export * from './demo-seeder';
export * from './demo-seed.module';
export * from './prng';
