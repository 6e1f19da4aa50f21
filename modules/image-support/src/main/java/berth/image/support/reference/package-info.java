/** Image references (docker-style names, tags, digests) and short-name resolution through registries.conf. */
package berth.image.support.reference;
