// Data source for the TypeORM CLI (migration:generate / run / revert), run through ts-node.
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadEnv } from '../config/config.service';
import { loadEnvFile } from '../config/env-file';
import { dataSourceOptions } from './data-source-options';

loadEnvFile();
const env = loadEnv();

export default new DataSource(
  dataSourceOptions(env.DATABASE_URL, {
    entities: [join(__dirname, '..', '..', '..', '*', 'src', '**', '*.entity.{ts,js}')],
  }),
);
