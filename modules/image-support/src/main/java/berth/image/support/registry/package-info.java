/** A Docker Registry HTTP API v2 client: pull and push, bearer-token and basic auth, auth files, TLS settings. */
package berth.image.support.registry;
