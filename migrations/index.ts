import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. The data source lists them explicitly so that tests and builds agree. */
export const MIGRATIONS = [InitialSchema1764000000000];
