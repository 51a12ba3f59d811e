// bench:booking — booking throughput (POST /v1/shipments over HTTP) with the country-rules evaluation at
// booking and without it (COMPLIANCE_AT_BOOKING=false), interleaved A/B/A/B on one database so that machine
// drift hits both alike. Target (issue 3): with evaluation within 15 % of without.
'use strict';
const { randomUUID } = require('node:crypto');
const {
  option,
  intOption,
  log,
  round,
  loadAverages,
  runMain,
  ensureDatabase,
  resetSchema,
  startPassage,
  api,
  runAutocannon,
  summarizeAutocannon,
  assertClean,
  table,
  writeResult,
  gitRevision,
} = require('./lib');

const DB = option('BOOKING_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench_booking');
const DURATION = intOption('DURATION', 15);
const CONNECTIONS = intOption('CONNECTIONS', 8);
const ROUNDS = intOption('ROUNDS', 2);
const ADMIN = 'bench-admin-token-0123456789';

/** Parcels to a spread of destinations, so that the evaluation walks different rule sets. */
const DESTINATIONS = [
  { address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' }, phone: '+4915123456789', currency: 'EUR' },
  { address: { lines: ['10 rue de Rivoli'], city: 'Paris', postcode: '75001', country: 'FR' }, phone: '+33612345678', currency: 'EUR' },
  { address: { lines: ['Avenida Paulista, 1000'], city: 'São Paulo', postcode: '01310-100', country: 'BR' }, phone: '+5511987654321', currency: 'USD', taxId: '529.982.247-25' },
  { address: { lines: ['350 Fifth Avenue'], city: 'New York', postcode: '10118', region: 'NY', country: 'US' }, phone: '+12125550123', currency: 'USD' },
  { address: { lines: ['1-1 Marunouchi'], city: 'Tokyo', postcode: '100-0005', country: 'JP' }, phone: '+819012345678', currency: 'JPY' },
  { address: { lines: ['1 George Street'], city: 'Sydney', postcode: '2000', country: 'AU' }, phone: '+61412345678', currency: 'AUD' },
  { address: { lines: ['Sejong-daero 110'], city: 'Seoul', postcode: '04524', country: 'KR' }, phone: '+821012345678', currency: 'USD', taxId: 'P123456789012' },
  { address: { lines: ['Karl Johans gate 1'], city: 'Oslo', postcode: '0154', country: 'NO' }, phone: '+4791234567', currency: 'NOK' },
];

function body(i) {
  const d = DESTINATIONS[i % DESTINATIONS.length];
  const value = d.currency === 'JPY' ? 4500 : 4500 + (i % 7) * 1000;
  return JSON.stringify({
    reference: `BOOK-${randomUUID()}`,
    service: 'standard',
    incoterm: i % 2 ? 'DAP' : 'DDP',
    origin: { country: 'GB', city: 'London', postcode: 'SW1A 1AA' },
    consignee: { name: 'Bench Consignee', email: 'bench@example.com', phone: d.phone, ...(d.taxId ? { taxId: d.taxId } : {}), address: d.address },
    items: [
      { description: 'Cotton T-shirt', hsCode: '610910', quantity: 2, unitValue: value, currency: d.currency, originCountry: 'PT', weightGrams: 250 },
      { description: 'Leather wallet', hsCode: '420232', quantity: 1, unitValue: value, currency: d.currency, originCountry: 'IT', weightGrams: 150 },
    ],
    notify: { email: true, sms: false },
  });
}

async function measure(withCompliance) {
  process.env.COMPLIANCE_AT_BOOKING = withCompliance ? 'true' : 'false';
  const passage = await startPassage({ databaseUrl: DB, adminToken: ADMIN, poolMax: 16 });
  try {
    const retailer = await api(passage.baseUrl, 'POST', '/v1/admin/retailers', ADMIN, { name: 'Bench Retailer' });
    const key = await api(passage.baseUrl, 'POST', `/v1/admin/retailers/${retailer.id}/api-keys`, ADMIN, { name: 'bench' });
    const tenants = { retailerKey: key.key };
    let i = 0;
    const common = {
      url: `${passage.baseUrl}/v1/shipments`,
      method: 'POST',
      connections: CONNECTIONS,
      headers: { authorization: `Bearer ${tenants.retailerKey}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: body(i++) }) }],
    };
    await runAutocannon({ ...common, duration: 3 });
    const result = summarizeAutocannon(await runAutocannon({ ...common, duration: DURATION }));
    assertClean(`booking (${withCompliance ? 'with' : 'without'} evaluation)`, result);
    return result;
  } finally {
    await passage.stop();
  }
}

runMain(async () => {
  await ensureDatabase(DB);
  await resetSchema(DB);
  log(`bench:booking — ${DURATION} s per run, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds; load ${JSON.stringify(loadAverages())}`);
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const withCompliance of [true, false]) {
      const result = await measure(withCompliance);
      runs.push({ round: r + 1, evaluation: withCompliance ? 'on' : 'off', ...result });
      log(`round ${r + 1}, evaluation ${withCompliance ? 'on ' : 'off'}: ${result.reqPerS} bookings/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
    }
  }
  const mean = (on) => runs.filter((x) => x.evaluation === on).reduce((n, x) => n + x.reqPerS, 0) / ROUNDS;
  const on = mean('on');
  const off = mean('off');
  const ratio = on / off;
  console.log(`\n${table(runs, ['round', 'evaluation', 'reqPerS', 'p50Ms', 'p99Ms', 'non2xx'])}`);
  console.log(`\nbookings/s with evaluation ${round(on)}, without ${round(off)}: ${round(ratio * 100)} % (target ≥ 85 %) ${ratio >= 0.85 ? 'MET' : 'MISSED'}`);
  console.log(`load after: ${JSON.stringify(loadAverages())}`);
  const file = writeResult('booking', { revision: gitRevision(), duration: DURATION, connections: CONNECTIONS, runs, on, off, ratio });
  log(`written ${file}`);
});
