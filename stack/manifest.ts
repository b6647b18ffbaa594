// The toolchains the stack's install needs, pinned here; each backend's own version lives in
// backends/<name>.ts. compose/ uses the same versions and the same port numbers.

/** The JDK Elasticsearch runs on, from Debian when the machine has none. */
export const jdk = { debianPackage: 'openjdk-17-jdk-headless', minimumMajor: 17 };

/** Oldest Go toolchain that builds every Go backend (the collector's modules need 1.26). */
export const minimumGo = '1.26';

/** The toolchain fetched as the module golang.org/toolchain when the go on PATH is older. */
export const fetchedGo = '1.26.8';
