export const KEY_PREFIXES = {
  retailer: 'psg_live_',
  carrier: 'psg_carrier_',
  admin: 'psg_admin_',
} as const;
