import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI: `typeorm migration:run -d dist/src/database/data-source.js` (needs DATABASE_URL). */
const { database } = loadAppConfig();
if (!database.url) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
export default new DataSource(dataSourceOptions({ url: database.url, poolMax: 2 }));
