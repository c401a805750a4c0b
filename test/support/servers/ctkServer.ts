import { startHttpServer } from './httpServer.js';
import type { RecordedRequest } from './httpServer.js';
import { routeRequests } from './jsonRoutes.js';
import type { JsonReply, Route, RouteRequest } from './jsonRoutes.js';
import { petstoreSwagger } from './petstoreSwagger.js';

/** A pet as the Swagger Petstore returns it. */
export interface Pet {
  id: number;
  category?: { id: number; name: string };
  name: string;
  photoUrls: string[];
  tags: { id: number; name: string }[];
  status: 'available' | 'pending' | 'sold';
}

/**
 * Pets 1 and 2 must exist: data-flow.feature expects `ids: [1, 2]` from GET /v2/pet/1 and /v2/pet/2,
 * which against the live sandbox holds only while nobody has deleted them. At least one pet must be
 * `available` for call.feature's findByStatus scenarios (`.[0]` must have id, name and status).
 */
export const seededPets: readonly Pet[] = [
  pet(1, 'doggie', 'available', { id: 1, name: 'Dogs' }),
  pet(2, 'Garfield', 'available', { id: 2, name: 'Cats' }),
  pet(3, 'Nemo', 'pending', { id: 3, name: 'Fish' }),
  pet(4, 'Rex', 'sold', { id: 1, name: 'Dogs' }),
];

/** The credentials of call.feature's basic-auth scenario (httpbin checks those in its path). */
export const ctkBasicAuth = { username: 'serverless-workflow', password: 'conformance-test' };

/** The local Petstore + httpbin stand-in for the CTK features. */
export interface CtkServer {
  /** Serves both `/v2/…` (Petstore) and `/basic-auth/…` (httpbin): their paths never overlap. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The pets, by id; POST /v2/pet adds to it. */
  pets: Map<number, Pet>;
  /** Replaces `http(s)://petstore.swagger.io` and `http(s)://httpbin.org` with `baseUrl`. */
  rewrite(text: string): string;
  close(): Promise<void>;
}

/**
 * Starts the stand-in. Paths are kept identical to the public services, so a workflow needs only
 * its scheme and host rewritten; anything the real Petstore has no route for (notably
 * `/v2/pet/getPetByName/{name}`, which try.feature expects to fail with 404) answers 404.
 */
export async function startCtkServer(options: { pets?: readonly Pet[] } = {}): Promise<CtkServer> {
  const pets = new Map((options.pets ?? seededPets).map((p) => [p.id, structuredClone(p)]));
  let host = '';
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/v2/swagger.json',
      handle: () => ({ status: 200, body: petstoreSwagger(host) }),
    },
    { method: 'GET', path: '/v2/pet/findByStatus', handle: (r) => findPetsByStatus(pets, r) },
    { method: 'GET', path: '/v2/pet/:petId', handle: (r) => getPetById(pets, r.params.petId) },
    { method: 'POST', path: '/v2/pet', handle: (r) => addPet(pets, r.body) },
    { method: 'GET', path: '/basic-auth/:user/:passwd', handle: basicAuth },
  ];
  const server = await startHttpServer(routeRequests(routes, petstoreNotFound));
  host = new URL(server.baseUrl).host;
  return {
    baseUrl: server.baseUrl,
    requests: server.requests,
    pets,
    rewrite: (text) =>
      text.replace(
        /https?:\/\/(?:petstore\.swagger\.io|httpbin\.org)(?=[/"'\s]|$)/g,
        server.baseUrl,
      ),
    close: server.close,
  };
}

function findPetsByStatus(pets: Map<number, Pet>, request: RouteRequest): JsonReply {
  // collectionFormat is `multi` (status=a&status=b); the live server also splits on commas.
  const wanted = [request.query.status ?? []]
    .flat()
    .flatMap((s) => s.split(','))
    .filter((s) => s !== '');
  if (wanted.length === 0) return petstoreError(400, 'unknown', 'Invalid status value');
  return { status: 200, body: [...pets.values()].filter((p) => wanted.includes(p.status)) };
}

function getPetById(pets: Map<number, Pet>, petId: string | undefined): JsonReply {
  if (petId === undefined || !/^-?\d+$/.test(petId)) {
    // What the live (Java) server answers for a non-numeric id, rather than the documented 400.
    const message = `java.lang.NumberFormatException: For input string: "${petId ?? ''}"`;
    return petstoreError(404, 'unknown', message);
  }
  const found = pets.get(Number(petId));
  return found ? { status: 200, body: found } : petstoreError(404, 'error', 'Pet not found', 1);
}

function addPet(pets: Map<number, Pet>, body: unknown): JsonReply {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return petstoreError(405, 'unknown', 'Invalid input');
  }
  const given = body as Partial<Pet>;
  // The live server assigns an id when none (or 0) is given and echoes the pet back.
  const id =
    typeof given.id === 'number' && given.id !== 0 ? given.id : Math.max(0, ...pets.keys()) + 1;
  const created: Pet = { photoUrls: [], tags: [], status: 'available', name: '', ...given, id };
  pets.set(id, created);
  return { status: 200, body: created };
}

/** httpbin: 200 when the Basic credentials equal the ones in the path, 401 with a challenge else. */
function basicAuth(request: RouteRequest): JsonReply {
  const { user, passwd } = request.params;
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+(\S+)$/i.exec(header);
  const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon >= 0 && decoded.slice(0, colon) === user && decoded.slice(colon + 1) === passwd) {
    return { status: 200, body: { authenticated: true, user } };
  }
  return { status: 401, headers: { 'www-authenticate': 'Basic realm="Fake Realm"' } };
}

function petstoreNotFound(): JsonReply {
  return petstoreError(404, 'unknown', 'HTTP 404 Not Found');
}

/** The Petstore's error body, `{ code, type, message }`. */
function petstoreError(status: number, type: string, message: string, code = status): JsonReply {
  return { status, body: { code, type, message } };
}

function pet(id: number, name: string, status: Pet['status'], category: Pet['category']): Pet {
  return {
    id,
    category,
    name,
    photoUrls: [`https://example.org/pets/${id}.jpg`],
    tags: [],
    status,
  };
}
