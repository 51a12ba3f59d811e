import { ApiKeyEntity } from '../modules/auth/api-key.entity';
import { CarrierEntity } from '../modules/carriers/carrier.entity';
import { RetailerEntity } from '../modules/retailers/retailer.entity';
import { ShipmentEntity } from '../modules/shipments/shipment.entity';
import { TrackingEventEntity } from '../modules/tracking/tracking-event.entity';

export const ENTITIES = [RetailerEntity, CarrierEntity, ApiKeyEntity, ShipmentEntity, TrackingEventEntity];
