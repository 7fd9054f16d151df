package dev.slabworks.api.os;

/**
 * One anonymous mapping made by {@link Os}: the usable range {@code [address, address + size)} lies
 * inside the reservation {@code [reservedAddress, reservedAddress + reservedSize)} that was actually
 * mapped. They differ only when an aligned mapping had to over-reserve; the whole reservation is
 * kept and released by one {@code munmap}, so every mapping is exactly one mmap and one munmap.
 */
public record Mapping(long address, long size, long reservedAddress, long reservedSize) {
    public Mapping {
        if (address < reservedAddress || address + size > reservedAddress + reservedSize) {
            throw new IllegalArgumentException("usable range outside its reservation: " + this);
        }
    }

    public long end() {
        return address + size;
    }

    public boolean contains(long addr) {
        return addr >= address && addr < address + size;
    }
}
