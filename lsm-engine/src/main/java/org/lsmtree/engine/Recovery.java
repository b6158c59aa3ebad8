package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogProblem;
import org.lsmtree.format.storage.LockHeldException;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestReader;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.wal.WalWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a store: takes the {@code LOCK}, creates a new store or reads {@code CURRENT} and replays
 * the MANIFEST it names (the one authority on which files are live; the directory listing is
 * only used to find logs and leftovers), replays every WAL at or after the MANIFEST's log number
 * into a memtable, starts a new WAL and a new MANIFEST, switches {@code CURRENT}, and only then
 * deletes what nothing live references (old MANIFESTs, logs before the log number, tables and
 * temporary files a crash left behind).
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /** File numbers at or above this are refused as damage: far past any store's, far below overflow. */
    static final long MAX_FILE_NUMBER = 1L << 62;

    /** What a successful open hands to the running store. */
    record Recovered(Storage storage, Path directory, Options options, InternalKeyComparator comparator,
            StorageLock lock, TableFormat format, TableCache tables, LevelState state, MemTable memTable,
            long lastSequence, WalWriter wal, long walNumber, ManifestWriter manifest, long nextFileNumber,
            LostFolder lost) {

        /** Whether the store was opened read-only: no lock, no WAL, no MANIFEST of its own. */
        boolean readOnly() {
            return wal == null;
        }
    }

    private final Path directory;
    private final Options options;
    private final Storage storage;
    private final InternalKeyComparator comparator;
    private final TableFormat format;
    /** What this open dropped or accepted, in words; empty when nothing (then obsolete files are deleted). */
    private final List<String> dropped = new ArrayList<>();
    /** Set when the MANIFEST lost edits and the options accept it. */
    private boolean acceptedLostEdits;

    private Recovery(Path directory, Options options, TableFormat format) {
        this.directory = directory;
        this.options = options;
        this.storage = options.storage() != null ? options.storage() : NioStorage.of(directory.getFileSystem());
        this.comparator = new InternalKeyComparator(options.comparator());
        this.format = format;
    }

    /** Opens the store in {@code directory}; {@code format} reads and writes its tables. */
    static Recovered open(Path directory, Options options, java.util.function.Function<Storage, TableFormat> format)
            throws IOException {
        Storage storage = options.storage() != null ? options.storage() : NioStorage.of(directory.getFileSystem());
        return new Recovery(directory, options, format.apply(storage)).open();
    }

    /**
     * Reads the store in {@code directory} without changing anything: no lock is taken (another
     * process may be writing), the WALs are replayed into a memtable kept in memory, and no file
     * is created, written or deleted. A file that vanishes while it is read (a writer finished a
     * flush, a compaction or a MANIFEST switch meanwhile) makes it read the store again, a few
     * times, before the {@link NoSuchFileException} is let through.
     */
    static Recovered openReadOnly(Path directory, Options options,
            java.util.function.Function<Storage, TableFormat> format) throws IOException {
        Storage storage = options.storage() != null ? options.storage() : NioStorage.of(directory.getFileSystem());
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(directory, options, new Recovery(directory, options, format.apply(storage)), storage);
            } catch (NoSuchFileException e) {
                if (attempt == READ_ONLY_ATTEMPTS || !storage.exists(FileNames.currentFile(directory))) {
                    throw e;
                }
                LOG.debug("{}: {} vanished while the store was read; reading it again", directory, e.getFile());
            }
        }
    }

    /** Attempts of a read-only open that meets a file a writer deleted meanwhile. */
    static final int READ_ONLY_ATTEMPTS = 3;

    private static Recovered readOnce(Path directory, Options options, Recovery recovery, Storage storage)
            throws IOException {
        if (!storage.exists(FileNames.currentFile(directory))) {
            throw new NoSuchFileException(FileNames.currentFile(directory).toString(), null,
                    "no store here (CURRENT is missing)");
        }
        StoreDirectory listing = StoreDirectory.list(storage, directory);
        recovery.checkFileNumbers(listing);
        LevelState state = recovery.readManifest(listing, false);
        MemTable memTable = new MemTable(recovery.comparator);
        long lastSequence = recovery.logReplay().replay(state, listing, memTable, recovery.acceptedLostEdits);
        return new Recovered(storage, directory, options, recovery.comparator, null, recovery.format,
                new TableCache(storage, directory, recovery.format, options.maxOpenFiles()), state, memTable,
                lastSequence, null, 0, null,
                state.nextFileNumber(), LostFolder.none());
    }

    private Recovered open() throws IOException {
        if (!storage.exists(directory)) {
            if (!options.createIfMissing()) {
                throw new NoSuchFileException(directory.toString(), null, "no store here and createIfMissing is off");
            }
            storage.createDirectories(directory);
        }
        StorageLock lock;
        try {
            lock = storage.lock(FileNames.lockFile(directory));
        } catch (LockHeldException e) {
            throw new IOException("store " + directory + " is in use by another open (its LOCK is held): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot open store " + directory + ": " + e.getMessage(), e);
        }
        try {
            return recover(lock);
        } catch (IOException | RuntimeException e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Recovered recover(StorageLock lock) throws IOException {
        StoreDirectory listing = StoreDirectory.list(storage, directory);
        checkFileNumbers(listing);
        LevelState state;
        if (!storage.exists(FileNames.currentFile(directory))) {
            state = create(listing);
        } else {
            if (options.errorIfExists()) {
                throw new IOException("store " + directory + " already exists and errorIfExists is on");
            }
            state = readManifest(listing, true);
        }
        MemTable memTable = new MemTable(comparator);
        long lastSequence = logReplay().replay(state, listing, memTable, acceptedLostEdits);
        long[] nextFileNumber = {Math.max(state.nextFileNumber(), listing.largestNumber() + 1)};

        VersionEdit edit = new VersionEdit().setPreviousLogNumber(0);
        if (!memTable.isEmpty()) { // the replayed writes go to a level-0 table, so that the old logs can go
            try (TableWriting out = new TableWriting(storage, directory, format, () -> nextFileNumber[0]++, Long.MAX_VALUE,
                    options.comparator())) {
                memTable.writeTo(out, Long.MAX_VALUE);
                out.finish().forEach(file -> edit.addFile(0, file));
            }
        }
        long walNumber = nextFileNumber[0]++;
        long manifestNumber = nextFileNumber[0]++;
        LostFolder lost = lostFolder(listing, state);
        if (lost != LostFolder.none()) { // durable before CURRENT switches, so a later open keeps them too
            LostFolder.recordKeepList(storage, directory, manifestNumber, lost.kept());
        }
        WalWriter wal = WalWriter.create(storage, FileNames.logFile(directory, walNumber));
        ManifestWriter manifest = null;
        try {
            edit.setLogNumber(walNumber).setNextFileNumber(nextFileNumber[0]).setLastSequence(lastSequence);
            // Creating the MANIFEST syncs the directory: the new log and tables are durable before CURRENT names it.
            manifest = ManifestWriter.create(storage, directory, manifestNumber, state.apply(edit));
            CurrentFile.write(storage, directory, manifestNumber);
            return new Recovered(storage, directory, options, comparator, lock, format,
                    new TableCache(storage, directory, format, options.maxOpenFiles()), manifest.state(),
                    new MemTable(comparator),
                    lastSequence, wal, walNumber, manifest, nextFileNumber[0], lost);
        } catch (IOException | RuntimeException e) {
            wal.close();
            if (manifest != null) {
                manifest.close();
            }
            throw e;
        }
    }

    /** A new, empty store: MANIFEST-000001 and a CURRENT naming it. */
    private LevelState create(StoreDirectory listing) throws IOException {
        if (!options.createIfMissing()) {
            throw new NoSuchFileException(FileNames.currentFile(directory).toString(), null,
                    "no store here (CURRENT is missing) and createIfMissing is off");
        }
        Optional<StoreDirectory.Entry> foreign = listing.firstForeign();
        if (foreign.isPresent()) {
            throw new IOException("cannot create a store in " + directory + ": it holds " + foreign.get().path()
                    + (foreign.get().parsed().isPresent() ? " but no CURRENT (a damaged store?)" : ", which is not a store's"));
        }
        LevelState state = LevelState.empty(comparator).apply(new VersionEdit()
                .setComparatorName(options.comparator().name())
                .setLogNumber(0)
                .setNextFileNumber(2)
                .setLastSequence(0));
        ManifestWriter.create(storage, directory, 1, state).close();
        CurrentFile.write(storage, directory, 1);
        LOG.info("created store {}", directory);
        return state;
    }

    /**
     * Replays the MANIFEST that CURRENT names. Under the store's lock ({@code locked}) a MANIFEST
     * that is missing is damage, as in LevelDB: a {@link CorruptionException} located in CURRENT.
     * Without it (a read-only open) a writer may have just switched MANIFESTs, so it is the
     * {@link NoSuchFileException} that makes the read-only open read the store again.
     */
    private LevelState readManifest(StoreDirectory listing, boolean locked) throws IOException {
        Path manifest = CurrentFile.manifest(storage, directory);
        if (!storage.exists(manifest)) {
            if (locked) {
                throw new CorruptionException(FileNames.currentFile(directory).toString(), 0,
                        "CURRENT names " + manifest.getFileName() + ", which is missing");
            }
            throw new NoSuchFileException(manifest.toString(), null, "CURRENT names this MANIFEST, but it is missing");
        }
        ManifestReader.TailPolicy policy = options.paranoidChecks()
                ? ManifestReader.TailPolicy.STRICT : ManifestReader.TailPolicy.TOLERATE_TORN_TAIL;
        ManifestReader.Replay replay = ManifestReader.replay(storage, manifest, comparator, policy,
                // An edit grows with the files and key lengths it lists, not with one write: at least the default bound.
                Math.max(options.maxRecordSize(), LogFormat.DEFAULT_MAX_RECORD_SIZE));
        replay.droppedTail().ifPresent(tail -> {
            LOG.warn("{}: dropped a torn last edit: {}", manifest, tail);
            dropped.add(manifest.getFileName() + " lost its last edit at offset " + tail.offset());
        });
        LevelState state = replay.state();
        String recorded = state.comparatorName().orElse(null);
        if (recorded != null && !recorded.equals(options.comparator().name())) {
            throw new IOException("store " + directory + " orders keys by " + recorded
                    + " but was opened with " + options.comparator().name() + " (" + manifest + ")");
        }
        if (Long.compareUnsigned(state.nextFileNumber(), MAX_FILE_NUMBER) >= 0) {
            throw new CorruptionException(manifest.toString(), replay.validLength(), "next file number "
                    + Long.toUnsignedString(state.nextFileNumber()) + " is at the top of the range (at most "
                    + MAX_FILE_NUMBER + " is accepted)");
        }
        checkTablesPresent(manifest, replay, listing);
        checkLogNumber(manifest, replay, listing);
        return state;
    }

    /**
     * Refuses numbered files at the top of the 64-bit range before anything is created: a store
     * never comes near it (one number per file), so such a name is damage or a foreign file, and
     * numbering new files past it would overflow.
     */
    private void checkFileNumbers(StoreDirectory listing) throws CorruptionException {
        for (StoreDirectory.Entry entry : listing.entries()) {
            if (entry.parsed().isPresent() && Long.compareUnsigned(entry.number(), MAX_FILE_NUMBER) >= 0) {
                throw new CorruptionException(entry.path().toString(), 0, "file number "
                        + Long.toUnsignedString(entry.number()) + " is at the top of the range (at most "
                        + MAX_FILE_NUMBER + " is accepted): damaged or not this store's; move it away to open");
            }
        }
    }

    private void checkTablesPresent(Path manifest, ManifestReader.Replay replay, StoreDirectory listing)
            throws IOException {
        Set<Long> present = new HashSet<>();
        for (StoreDirectory.Entry entry : listing.entries()) {
            if (entry.is(FileType.TABLE) || entry.is(FileType.LEGACY_TABLE)) {
                present.add(entry.number());
            }
        }
        List<Long> missing = new ArrayList<>();
        for (long number : replay.state().liveFiles().keySet()) {
            if (!present.contains(number)) {
                missing.add(number);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String what = missing.size() + " table file(s) the MANIFEST lists are missing, "
                + FileNames.tableFile(directory, missing.get(0)).getFileName() + " first";
        if (replay.droppedTail().isPresent()) { // an edit that deleted them after a compaction was lost
            throw new CorruptionException(manifest.toString(), replay.droppedTail().get().offset(),
                    what + ", and the MANIFEST's last edit at this offset was dropped as torn: the MANIFEST is damaged");
        }
        // As LevelDB: missing tables are damage. The MANIFEST ends cleanly, so either edits after
        // its end were lost whole (a cut at a record boundary) or the tables were removed.
        throw new CorruptionException(manifest.toString(), replay.validLength(), what + " ("
                + FileNames.tableFile(directory, missing.get(0)) + "): the MANIFEST lost the edits after this offset,"
                + " or the tables were removed");
    }

    /**
     * Checks the MANIFEST's log number against the logs present. The log it names is created
     * (and made durable) before any edit names it, and older logs are deleted only after such an
     * edit is durable; so a crash never leaves that log missing while newer logs exist, nor a log
     * number above every log while an older log holds writes the MANIFEST does not account for.
     * Either is a MANIFEST that lost edits (damage, not a torn write), refused unless
     * {@link Options#acceptLostManifestEdits()}.
     */
    private void checkLogNumber(Path manifest, ManifestReader.Replay replay, StoreDirectory listing)
            throws IOException {
        LevelState state = replay.state();
        long logNumber = state.logNumber();
        List<StoreDirectory.Entry> logs = listing.ofType(FileType.LOG);
        if (logNumber == 0 || logs.stream().anyMatch(log -> log.number() == logNumber)) {
            return;
        }
        String problem = null;
        List<Long> newer = logs.stream().map(StoreDirectory.Entry::number)
                .filter(number -> Long.compareUnsigned(number, logNumber) > 0).toList();
        if (!newer.isEmpty()) {
            problem = "its log number " + logNumber + " names a log that is missing while newer logs exist "
                    + newer.stream().map(FileNames::logFileName).toList();
        } else {
            for (StoreDirectory.Entry log : logs) {
                long last = logReplay().lastSequenceOf(log.path());
                if (Long.compareUnsigned(last, state.lastSequence()) > 0) {
                    problem = "its log number " + logNumber + " is above every log, but " + log.path().getFileName()
                            + " holds writes up to sequence " + last + ", past the MANIFEST's last sequence "
                            + state.lastSequence();
                    break;
                }
            }
        }
        if (problem == null) {
            return;
        }
        long offset = replay.droppedTail().map(LogProblem::offset).orElse(replay.validLength());
        String where = replay.droppedTail().isPresent()
                ? "; its last edit at offset " + offset + " was dropped as torn"
                : "";
        if (!options.acceptLostManifestEdits()) {
            throw new CorruptionException(manifest.toString(), offset, "the MANIFEST lost edits: " + problem + where
                    + ". Nothing was changed; Options.withAcceptLostManifestEdits(true) opens the state it names"
                    + " and moves the files it would delete to " + LostFolder.NAME + "/");
        }
        LOG.warn("{}: accepted a MANIFEST that lost edits: {}{}", manifest, problem, where);
        acceptedLostEdits = true; // the writes of the lost edits' tables are missing before the logs
        dropped.add(manifest.getFileName() + " lost edits (accepted): " + problem);
    }

    private LogReplay logReplay() {
        return new LogReplay(storage, options, dropped);
    }

    /**
     * Where the files this open would delete go: nowhere (deleted) when it dropped nothing and no
     * earlier open left files unmoved; otherwise every log, MANIFEST and table that was here at
     * open, apart from the tables {@code state} (what this open keeps live) lists, is kept in
     * {@code lost/} rather than deleted, since one of them may hold what was dropped. The live
     * tables are left out: once a later edit (durable) replaces them, they are proven obsolete.
     */
    private LostFolder lostFolder(StoreDirectory listing, LevelState state) throws IOException {
        Set<String> present = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (StoreDirectory.Entry entry : listing.entries()) {
            boolean table = entry.is(FileType.TABLE) || entry.is(FileType.LEGACY_TABLE);
            if (table || entry.is(FileType.LOG) || entry.is(FileType.MANIFEST)) {
                present.add(entry.path().getFileName().toString());
                if (!dropped.isEmpty() && !(table && state.liveFiles().containsKey(entry.number()))) {
                    names.add(entry.path().getFileName().toString());
                }
            }
        }
        Set<String> unmoved = LostFolder.keptByEarlierOpens(storage, directory, present);
        if (!unmoved.isEmpty()) {
            dropped.add("an earlier open had not finished moving " + unmoved.size() + " file(s) to " + LostFolder.NAME + "/");
            names.addAll(unmoved);
        }
        if (names.isEmpty()) {
            return LostFolder.none();
        }
        return LostFolder.keeping(names, String.join("; ", dropped));
    }
}
