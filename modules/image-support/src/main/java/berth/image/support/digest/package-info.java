/**
 * SHA-256 for blobs and layers: through OpenSSL's libcrypto where it is installed (the CLI's JVM
 * runs C1 only, which has no SHA intrinsic, and a pull hashes every byte twice), else the JDK's.
 */
package berth.image.support.digest;
