export { startHttpServer, sendJson } from './httpServer.js';
export type { RecordedRequest, RequestHandler, StartedHttpServer } from './httpServer.js';
export { ctkBasicAuth, seededPets, startCtkServer } from './ctkServer.js';
export type { CtkServer, Pet } from './ctkServer.js';
export { startKitchenApi } from './kitchenApi.js';
export type { KitchenApi, KitchenApiOptions, KitchenSchedule } from './kitchenApi.js';
export { defaultStock, startInventoryApi } from './inventoryApi.js';
export type {
  InventoryApi,
  InventoryApiOptions,
  Reservation,
  StockItem,
  StockSeed,
} from './inventoryApi.js';
export { orderStatuses, startPosApi } from './posApi.js';
export type { OrderStatus, PosApi, PosApiOptions, PosOrder } from './posApi.js';
export type { OrderItem, SideEffect } from './customerApiParts.js';
export { startFlakyServer } from './flakyServer.js';
export type {
  FlakyAttempt,
  FlakyHang,
  FlakyRedirect,
  FlakyReply,
  FlakyReset,
  FlakyServer,
  FlakyStep,
  FlakyStream,
  ScriptOptions,
} from './flakyServer.js';
