import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { FxRates1764000100000 } from './1764000100000-fx-rates';
import { Messages1764000200000 } from './1764000200000-messages';

/** Every migration, in order. The data source lists them explicitly so that tests and builds agree. */
export const MIGRATIONS = [InitialSchema1764000000000, FxRates1764000100000, Messages1764000200000];
