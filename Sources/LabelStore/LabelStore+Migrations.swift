import GRDB

extension LabelStore {
    /// The schema, one registered migration per version; a released migration is never edited, a change is a new
    /// version. Invariants live in the schema: a box cannot point at a missing image, at another dataset's image or
    /// class, or outside its image; an image cannot appear twice in a dataset (content-hash dedupe); the label
    /// history is append-only.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "dataset") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "image") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("dataset", onDelete: .cascade).notNull()
                t.column("sha256", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("width", .integer).notNull().check { $0 > 0 }
                t.column("height", .integer).notNull().check { $0 > 0 }
                t.uniqueKey(["datasetId", "sha256"])
            }
        }
        migrator.registerMigration("v2", migrate: migrateToLabels)
        // Who made each write (Ground Truth's human-annotated, LabelCounters.MachineLabeled).
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE revision ADD COLUMN origin TEXT NOT NULL DEFAULT 'human' CHECK (origin IN ('human', 'machine'))")
        }
        // Labeling jobs count submitted tasks and output their answers (Ground Truth's per-task submission).
        migrator.registerMigration("v4", migrate: LabelingJobAnswers.migrate)
        // Bounding-box adjustment jobs: the label attribute of the input manifest whose boxes are adjusted.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE labelingJob ADD COLUMN adjustsLabelAttributeName TEXT")
        }
        // Bounding-box verification jobs (the job's task type; answers' verdicts and comments) and the task
        // availability lifetime. The v5 column now names the attribute an adjustment or verification job reviews.
        migrator.registerMigration("v6") { db in
            try db.execute(
                sql: """
                    ALTER TABLE labelingJob RENAME COLUMN adjustsLabelAttributeName TO reviewsLabelAttributeName;
                    ALTER TABLE labelingJob ADD COLUMN taskType TEXT NOT NULL DEFAULT 'BoundingBox' CHECK (taskType IN ('BoundingBox', 'AdjustmentBoundingBox', 'VerificationBoundingBox'));
                    UPDATE labelingJob SET taskType = 'AdjustmentBoundingBox' WHERE reviewsLabelAttributeName IS NOT NULL;
                    ALTER TABLE labelingJob ADD COLUMN taskAvailabilityLifetimeInSeconds INTEGER CHECK (taskAvailabilityLifetimeInSeconds >= 1);
                    """
            )
            try LabelingJobAnswers.migrateToVerification(db)
        }
        return migrator
    }

    /// v2: image contents and provenance, label categories, boxes, the append-only label history, settings and
    /// labeling jobs.
    private static func migrateToLabels(_ db: Database) throws {
        // `sha256` stays the hash of the file as imported; `uprightSha256` is the hash of the stored, upright
        // bytes when EXIF orientation had to be applied (NULL when the stored bytes are the file's own).
        try db.execute(
            sql: """
                ALTER TABLE image ADD COLUMN orientation INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8);
                ALTER TABLE image ADD COLUMN format TEXT NOT NULL DEFAULT 'jpeg' CHECK (format IN ('jpeg', 'png'));
                ALTER TABLE image ADD COLUMN uprightSha256 TEXT;
                ALTER TABLE image ADD COLUMN sourceRef TEXT;
                ALTER TABLE image ADD COLUMN importedAt DATETIME;
                CREATE UNIQUE INDEX image_fileName ON image(datasetId, fileName);
                CREATE UNIQUE INDEX image_uprightSha256 ON image(datasetId, uprightSha256);
                CREATE UNIQUE INDEX image_id_dataset ON image(id, datasetId);

                CREATE TABLE imageContent (
                    imageId INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
                    bytes BLOB NOT NULL CHECK (length(bytes) > 0)
                );

                CREATE TABLE labelCategory (
                    datasetId INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
                    classId INTEGER NOT NULL CHECK (classId >= 0),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
                    PRIMARY KEY (datasetId, classId),
                    UNIQUE (datasetId, name)
                );

                CREATE TABLE box (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    imageId INTEGER NOT NULL,
                    datasetId INTEGER NOT NULL,
                    classId INTEGER NOT NULL,
                    "left" REAL NOT NULL CHECK ("left" >= 0),
                    top REAL NOT NULL CHECK (top >= 0),
                    width REAL NOT NULL CHECK (width > 0),
                    height REAL NOT NULL CHECK (height > 0),
                    FOREIGN KEY (imageId, datasetId) REFERENCES image(id, datasetId) ON DELETE CASCADE,
                    FOREIGN KEY (datasetId, classId) REFERENCES labelCategory(datasetId, classId)
                );
                CREATE INDEX box_imageId ON box(imageId);
                CREATE TRIGGER box_inside_image_insert BEFORE INSERT ON box
                WHEN NEW."left" + NEW.width > (SELECT width FROM image WHERE id = NEW.imageId)
                  OR NEW.top + NEW.height > (SELECT height FROM image WHERE id = NEW.imageId)
                BEGIN SELECT RAISE(ABORT, 'box outside its image'); END;
                CREATE TRIGGER box_inside_image_update BEFORE UPDATE ON box
                WHEN NEW."left" + NEW.width > (SELECT width FROM image WHERE id = NEW.imageId)
                  OR NEW.top + NEW.height > (SELECT height FROM image WHERE id = NEW.imageId)
                BEGIN SELECT RAISE(ABORT, 'box outside its image'); END;

                -- One row per write transaction that changed labels; "at" is Unix time in seconds, to the microsecond
                -- (Ground Truth's creation-date has microseconds).
                CREATE TABLE revision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at REAL NOT NULL,
                    summary TEXT NOT NULL
                );
                -- The history: every change to every box, never updated. Undo is a new row naming the change it undoes.
                CREATE TABLE labelChange (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    revisionId INTEGER NOT NULL REFERENCES revision(id),
                    imageId INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                    boxId INTEGER,
                    action TEXT NOT NULL CHECK (action IN ('add', 'update', 'delete', 'submit', 'undo')),
                    "before" TEXT,
                    "after" TEXT,
                    undoes INTEGER UNIQUE REFERENCES labelChange(id),
                    CHECK ((action = 'undo') = (undoes IS NOT NULL)),
                    CHECK (action IN ('submit', 'undo') OR boxId IS NOT NULL),
                    CHECK (action <> 'submit' OR boxId IS NULL)
                );
                CREATE INDEX labelChange_imageId ON labelChange(imageId);
                CREATE TRIGGER labelChange_append_only BEFORE UPDATE ON labelChange
                BEGIN SELECT RAISE(ABORT, 'the label history is append-only'); END;
                -- Changes still in effect: not undo rows, and not undone.
                CREATE VIEW effectiveChange AS
                    SELECT c.* FROM labelChange c
                    WHERE c.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM labelChange u WHERE u.undoes = c.id);
                -- An image is labeled while any change to it is in effect (boxes drawn, or submitted with none);
                -- revisionId is the latest such write. Kept by the trigger below on every history entry, so it is
                -- always exactly what the history says, and counting labeled images stays cheap.
                CREATE TABLE labeledImage (
                    imageId INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
                    revisionId INTEGER NOT NULL REFERENCES revision(id)
                );
                CREATE TRIGGER labelChange_labeledImage AFTER INSERT ON labelChange
                BEGIN
                    DELETE FROM labeledImage WHERE imageId = NEW.imageId;
                    INSERT INTO labeledImage (imageId, revisionId)
                        SELECT NEW.imageId, MAX(revisionId) FROM effectiveChange WHERE imageId = NEW.imageId HAVING COUNT(*) > 0;
                END;

                CREATE TABLE setting (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );

                CREATE TABLE labelingJob (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    labelAttributeName TEXT NOT NULL,
                    datasetId INTEGER NOT NULL UNIQUE REFERENCES dataset(id) ON DELETE CASCADE,
                    status TEXT NOT NULL CHECK (status IN ('InProgress', 'Completed', 'Stopped')),
                    maxHumanLabeledObjectCount INTEGER CHECK (maxHumanLabeledObjectCount >= 1),
                    maxPercentageOfInputDatasetLabeled INTEGER CHECK (maxPercentageOfInputDatasetLabeled BETWEEN 1 AND 100),
                    createdAt DATETIME NOT NULL,
                    lastModifiedAt DATETIME NOT NULL
                );
                -- The job's input manifest, line by line: each line's image, or why it could not be read.
                CREATE TABLE labelingJobItem (
                    jobId INTEGER NOT NULL REFERENCES labelingJob(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position >= 0),
                    line TEXT NOT NULL,
                    imageId INTEGER REFERENCES image(id),
                    failureReason TEXT,
                    PRIMARY KEY (jobId, position),
                    CHECK ((imageId IS NULL) <> (failureReason IS NULL))
                );
                CREATE INDEX labelingJobItem_imageId ON labelingJobItem(imageId);
                """
        )
    }
}
