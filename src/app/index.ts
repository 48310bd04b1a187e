/** The composition root's surface, for src/cli and test helpers only. */
export { createServices, type FleetServices } from './services.ts';
export { startSession, startFleetWorkers, type SessionOptions, type ShutdownRegistry } from './session.ts';
