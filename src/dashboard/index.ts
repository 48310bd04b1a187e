/** The operations dashboard: what the CLI and tests may use. */
export { startDashboard, BOARD_PATH, type Dashboard, type DashboardOptions } from './server.ts';
export { authPolicy, isLoopback, isAuthorized, type AuthPolicy, type DashboardCredentials } from './auth.ts';
export { renderGovernorPage } from './governor-panel.ts';
