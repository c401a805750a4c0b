export { createGateway } from './app.js';
export type { GatewayOptions, ReadinessCheck, Authenticator } from './app.js';
export { anonymousAuthenticator } from './middleware/authenticate.js';
export { errorFromProblem, problemFor } from './problemDetails.js';
export type { ProblemDetails } from './problemDetails.js';
export { devAccountAuthenticator } from './middleware/devAccountAuthenticator.js';
