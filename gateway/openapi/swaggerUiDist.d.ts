// swagger-ui-dist ships no types. Its root module also loads the 1.7 MB browser bundle into
// Node; this file is the same `absolutePath` the root exports, without that.
declare module 'swagger-ui-dist/absolute-path.js' {
  /** The directory holding Swagger UI's files. */
  export default function getAbsoluteFSPath(): string;
}
