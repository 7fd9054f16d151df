/** Phase 12: SuperSlabs shared by all size classes, slabs assigned on demand. */
package dev.slabworks.sharedpool;
