import ArgumentParser

/// `ctl labels …`: bounding boxes in the daemon's label store, Ground Truth style.
struct Labels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Label images with bounding boxes in the daemon's label store (`ctl serve` owns labels.sqlite in its home).",
        discussion: """
            Every command but copy-to-database asks the running daemon (--endpoint-url, default $APIARY_URL, $AWS_ENDPOINT_URL or \
            http://127.0.0.1:4566) over its signed label API, so it works whatever the shell's $APIARY_HOME is and \
            from another machine. Boxes are in pixels of the upright image (EXIF orientation applied at import), \
            top-left origin: left,top,width,height. Every change is kept in an append-only history and can be \
            undone. The first 500 labeled images are free, as in Ground Truth's free tier; `ctl labels free-tier \
            --opt-in` lifts the cap.

            A typical session:
              ctl datasets import ./bees/images --dataset bees
              ctl labels categories add --dataset bees bee
              ctl labels todo --dataset bees
              ctl labels add 1 --class bee --box 177,256.2,95.4,86.8
              ctl labels show 1 --render 1.png
              ctl labels stats --dataset bees
              ctl labels export --dataset bees --format manifest ./out
              ctl labels open --dataset bees    # the worker UI, served by `ctl serve`
            Exit codes: 0 done, 1 refused (free tier, conflict), 64 usage (unknown image, box, class), 65 bad data, \
            69 no daemon.
            """,
        subcommands: [
            Categories.self, Todo.self, Show.self, Add.self, Update.self, Delete.self, Submit.self, Undo.self, History.self, Apply.self,
            Stats.self, Export.self, Import.self, FreeTierCommand.self, Open.self, CopyToDatabase.self,
        ]
    )
}
