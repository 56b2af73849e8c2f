#!/usr/bin/env node
// Writes rollcall MetricEvents to the events topic in the Confluent wire format: registers the
// MetricEvent schema under <topic>-value, then sends `count` TIMER events spread over the series
// ids, each keyed by its id as 8 big-endian bytes. Prints every event sent as one JSON line.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const avro = require('avsc');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const { values: opts } = parseArgs({
  options: {
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? 'localhost:9092' },
    topic: { type: 'string', default: process.env.ROLLCALL_TOPIC ?? 'metric-events' },
    registry: { type: 'string', default: process.env.SCHEMA_REGISTRY_URL ?? 'http://localhost:8081' },
    count: { type: 'string', default: process.env.EVENT_COUNT ?? '100' },
    ids: { type: 'string', default: process.env.SERIES_IDS ?? '1,2,3' },
    schemas: { type: 'string', default: process.env.ROLLCALL_SCHEMAS ?? path.join(__dirname, '../../schemas/src/main/avro') },
  },
});

const U64_MAX = 2n ** 64n - 1n;

/** A series id: the unsigned decimal string, as rollcall prints ids everywhere outside Avro. */
function seriesId(text) {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > U64_MAX) {
    throw new Error(`not a series id (0 … ${U64_MAX}): ${text}`);
  }
  return BigInt(text);
}

/**
 * The named schema `fullName` from the .avsc files in `dir`, self-contained: each named type it
 * refers to that lives in a file of its own (MetricType) is defined at its first use, as a
 * registry without schema references needs it.
 */
function readSchema(dir, fullName) {
  const files = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.avsc'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    files.set(qualify(schema.name, schema.namespace), schema);
  }
  const defined = new Set();
  const inline = (type, namespace) => {
    if (typeof type === 'string') {
      const name = qualify(type, namespace);
      if (!files.has(name) || defined.has(name)) return type;
      return inline(files.get(name), namespace);
    }
    if (Array.isArray(type)) return type.map((branch) => inline(branch, namespace));
    if (type.name) {
      namespace = type.namespace ?? namespace;
      defined.add(qualify(type.name, namespace));
    }
    switch (type.type) {
      case 'record':
        return { ...type, fields: type.fields.map((field) => ({ ...field, type: inline(field.type, namespace) })) };
      case 'array':
        return { ...type, items: inline(type.items, namespace) };
      case 'map':
        return { ...type, values: inline(type.values, namespace) };
      default:
        return type;
    }
  };
  if (!files.has(fullName)) throw new Error(`no schema ${fullName} in ${dir}`);
  return inline(files.get(fullName));
}

function qualify(name, namespace) {
  const primitive = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'].includes(name);
  return primitive || name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

// avsc reads and writes Avro longs as JS numbers, exact only up to 2^53; series ids use all 64
// bits, so every long is a BigInt here (avsc's documented way to swap the long type).
const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
});
const longsAsBigInt = (schema) => (schema === 'long' || schema?.type === 'long' ? bigIntLong : undefined);

/** The `n`th event of series `id`: a request that took 1-300 ms, every 50th a server error. */
function event(id, n) {
  const value = 1 + Math.floor(Math.random() * 300); // a duration in whole ms keeps sums exact
  return {
    id: BigInt.asIntN(64, id), // the id's 64 bits in a signed Avro long
    name: 'http.server.requests',
    timestamp: BigInt(Date.now()), // timestamp-millis
    type: 'TIMER',
    value,
    status: n % 50 === 49 ? 503 : 200,
    labels: { service: 'checkout', revision: 'v1', pod: 'node-producer' },
  };
}

function key(id) {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(id);
  return buf;
}

async function main() {
  const ids = opts.ids.split(',').map((s) => seriesId(s.trim()));
  const count = Number(opts.count);
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`not a count of events: ${opts.count}`);
  const registry = new SchemaRegistry({ host: opts.registry }, { [SchemaType.AVRO]: { typeHook: longsAsBigInt } });
  const schema = readSchema(opts.schemas, 'io.rollcall.schema.avro.MetricEvent');
  const { id: schemaId } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject: `${opts.topic}-value` },
  );

  const kafka = new Kafka({ clientId: 'rollcall-node-producer', brokers: opts.brokers.split(','), logLevel: logLevel.WARN });
  // Kafka's Java partitioner: each series lands on the partition of the rollcall task that owns it.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let start = 0; start < count; start += 500) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const id = ids[i % ids.length];
        batch.push({ id, event: event(id, Math.floor(i / ids.length)) });
      }
      const messages = await Promise.all(
        batch.map(async ({ id, event }) => ({ key: key(id), value: await registry.encode(schemaId, event) })),
      );
      await producer.send({ topic: opts.topic, messages });
      for (const { id, event } of batch) {
        console.log(JSON.stringify({ ...event, id: id.toString(), timestamp: Number(event.timestamp) }));
      }
    }
  } finally {
    await producer.disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
