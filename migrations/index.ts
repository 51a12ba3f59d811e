import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { FxRates1764000100000 } from './1764000100000-fx-rates';
import { Messages1764000200000 } from './1764000200000-messages';
import { RuleSets1764000300000 } from './1764000300000-rule-sets';
import { Planner1764000400000 } from './1764000400000-planner';
import { WebhookEndpoints1764000500000 } from './1764000500000-webhook-endpoints';
import { Cx1764000600000 } from './1764000600000-cx';
import { Detection1764000700000 } from './1764000700000-detection';
import { IncidentsSurveys1764000800000 } from './1764000800000-incidents-surveys';
import { MessageIndexes1764000900000 } from './1764000900000-message-indexes';
import { HistoryEventReference1764001000000 } from './1764001000000-history-event-reference';

/** Every migration, in order. The data source lists them explicitly so that tests and builds agree. */
export const MIGRATIONS = [InitialSchema1764000000000, FxRates1764000100000, Messages1764000200000, RuleSets1764000300000, Planner1764000400000, WebhookEndpoints1764000500000, Cx1764000600000, Detection1764000700000, IncidentsSurveys1764000800000, MessageIndexes1764000900000, HistoryEventReference1764001000000];
