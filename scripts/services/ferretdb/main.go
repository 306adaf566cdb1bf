// Command ferretdb runs FerretDB 1.24 (a MongoDB-wire server) on SQLite for the project's tests.
// It uses the embeddable package because `go install .../cmd/ferretdb` panics at start (the
// module lacks build/version/version.txt). Telemetry is off in the embeddable package.
// Built and started by scripts/services/services.mjs.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "", "existing directory for the SQLite databases")
	// WAL with synchronous=NORMAL: a third faster than FULL; test data need not survive a power cut.
	query := flag.String("sqlite-query", "_pragma=synchronous(normal)", "query of the SQLite URI")
	var level slog.Level = slog.LevelWarn // warn logs each failed command in full
	flag.TextVar(&level, "log-level", level, "debug, info, warn or error")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if *dir == "" || err != nil {
		slog.Error("-sqlite-dir must name an existing directory")
		os.Exit(2)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?" + *query, // the trailing slash is required
	})
	if err != nil {
		slog.Error("cannot start FerretDB", "error", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	slog.Info("FerretDB listening", "uri", f.MongoDBURI())
	_ = f.Run(ctx)
}
