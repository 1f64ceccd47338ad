// A stranger's client against the running gateway: grpc-js and the published .proto files, no
// code of this project. Each check prints "ok <name>" or "FAIL <name>: <what happened>"; the exit
// status is 1 if any failed.
//   GATEWAY_GRPC=127.0.0.1:5000 GATEWAY_HTTP=http://127.0.0.1:5080 PROTOS=protos node stranger.mjs
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';

const target = process.env.GATEWAY_GRPC ?? '127.0.0.1:5000';
const http = process.env.GATEWAY_HTTP ?? 'http://127.0.0.1:5080';
const protos = process.env.PROTOS ?? 'protos';
const vin = process.env.VIN; // a valid VIN for the listing this client creates

const definition = protoLoader.loadSync(`${protos}/remarketing/auction/v1/auction.proto`, { includeDirs: [protos], longs: String, enums: String, defaults: true });
const { AuctionService } = grpc.loadPackageDefinition(definition).remarketing.auction.v1;
// One client, so grpc-js carries every call over one HTTP/2 connection, as it does by default.
const auction = new AuctionService(target, grpc.credentials.createInsecure());

let failed = 0;
const ok = (name) => console.log(`ok ${name}`);
const fail = (name, what) => { failed++; console.log(`FAIL ${name}: ${what}`); };

async function token(subject, role) {
  const reply = await fetch(`${http}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject, role }) });
  if (!reply.ok) throw new Error(`/dev/token answered ${reply.status}`);
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${(await reply.json()).token}`);
  return metadata;
}

const deadline = (seconds = 10) => new Date(Date.now() + seconds * 1000);
const call = (method, request, metadata, seconds) =>
  new Promise((resolve) => auction[method](request, metadata ?? new grpc.Metadata(), { deadline: deadline(seconds) },
    (error, reply) => resolve(error ? { code: error.code, details: error.details } : { code: grpc.status.OK, reply })));

// A call at a path of the caller's choosing, with the request's bytes as the contract encodes them.
function raw(path, bytes, metadata) {
  return new Promise((resolve) => auction.makeUnaryRequest(path, (buffer) => buffer, (buffer) => buffer, bytes, metadata ?? new grpc.Metadata(),
    { deadline: deadline() }, (error) => resolve(error ? error.code : grpc.status.OK)));
}

function expect(name, got, want) {
  if (got === want) ok(name);
  else fail(name, `status ${grpc.status[got] ?? got}, expected ${grpc.status[want]}`);
}

const center = await token(`RC-stranger-${randomUUID()}`, 'remarketing');
const buyer = await token(`D-stranger-${randomUUID()}`, 'buyer');
const created = await call('CreateListing', { requestId: randomUUID(), vin, groundingDealerId: 'D-GROUND', openingPriceCents: '100000' }, center);
if (created.code !== grpc.status.OK) {
  fail('create a listing to work on', `${grpc.status[created.code]} ${created.details}`);
  process.exit(1);
}
const listingId = created.reply.listingId;

expect('no token is UNAUTHENTICATED', (await call('GetListing', { listingId })).code, grpc.status.UNAUTHENTICATED);
expect('a buyer closing a listing is PERMISSION_DENIED', (await call('CloseListing', { requestId: randomUUID(), listingId, reason: 'mine now' }, buyer)).code, grpc.status.PERMISSION_DENIED);

// Other spellings of CloseListing's path, with a token that may close and one that may not.
const encode = AuctionService.service.CloseListing.requestSerialize;
const variants = [
  '/remarketing.auction.v1.auctionservice/closelisting',
  '/REMARKETING.AUCTION.V1.AUCTIONSERVICE/CLOSELISTING',
  '/remarketing.auction.v1.AuctionService/CloseListing/',
  '//remarketing.auction.v1.AuctionService/CloseListing',
  '/remarketing.auction.v1.AuctionService/Close%4Cisting',
  '/remarketing.auction.v1.AuctionService%2FCloseListing',
  '/remarketing.auction.v1.AuctionService/./CloseListing',
];
for (const path of variants) {
  const bytes = encode({ requestId: randomUUID(), listingId, reason: 'closed by a variant', withdraw: true });
  expect(`${path} is UNIMPLEMENTED for the center`, await raw(path, bytes, center), grpc.status.UNIMPLEMENTED);
  expect(`${path} is UNIMPLEMENTED for a buyer`, await raw(path, bytes, buyer), grpc.status.UNIMPLEMENTED);
}
const after = await call('GetListing', { listingId }, buyer);
if (after.code === grpc.status.OK && after.reply.state === 'LISTING_STATE_LIVE') ok('the listing is still live after every variant');
else fail('the listing is still live after every variant', JSON.stringify(after));

const oversized = await call('PlaceBid', { listingId, bidId: 'x'.repeat(70 * 1024), amountCents: '100000' }, buyer);
expect('a request over 64 KiB is RESOURCE_EXHAUSTED', oversized.code, grpc.status.RESOURCE_EXHAUSTED);
expect('malformed protobuf is INVALID_ARGUMENT', await raw('/remarketing.auction.v1.AuctionService/GetListing', Buffer.from([0x0a, 0xff, 0xff, 0xff]), buyer), grpc.status.INVALID_ARGUMENT);

// Hundreds of watch streams on this one connection, then a bid on it: answered at once.
const watchers = [];
const opened = [];
for (let i = 0; i < 250; i++) {
  const stream = auction.WatchListing({ listingId }, buyer);
  opened.push(new Promise((resolve) => { stream.once('data', () => resolve(true)); stream.once('error', () => resolve(false)); }));
  watchers.push(stream);
}
const openedAll = (await Promise.all(opened)).every(Boolean);
const started = Date.now();
const bid = await call('PlaceBid', { listingId, bidId: randomUUID(), amountCents: '100000' }, buyer, 5);
const seconds = (Date.now() - started) / 1000;
for (const stream of watchers) stream.cancel();
if (openedAll) ok('250 watch streams open on one connection');
else fail('250 watch streams open on one connection', 'some did not open');
if (bid.code === grpc.status.OK && bid.reply.accepted) ok(`a bid beside them is accepted (${seconds.toFixed(2)} s)`);
else fail('a bid beside them is accepted', `${grpc.status[bid.code]} ${bid.details ?? ''}`);

auction.close();
process.exit(failed === 0 ? 0 : 1);
