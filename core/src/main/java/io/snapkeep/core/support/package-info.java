/**
 * Small JDK-only helpers that the core and every adapter share, so that each is written once: named
 * daemon threads, SHA-256, names safe to print, deleting a tree without following links, masking secrets
 * in text. Nothing here knows the domain.
 */
package io.snapkeep.core.support;
