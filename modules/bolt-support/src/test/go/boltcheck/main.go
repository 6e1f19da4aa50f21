// boltcheck: the reference side of berth's bbolt interoperability tests.
//
//	boltcheck check FILE              run bbolt's tx.Check() and dump every bucket and key
//	boltcheck write FILE SEED OPS     apply OPS random operations with bbolt, then check and dump
//	boltcheck writenf FILE SEED OPS   the same with NoFreelistSync (the file records no freelist)
//	boltcheck podman FILE             create podman's bucket layout (as libpod's NewBoltState) and dump
//	boltcheck init FILE               open (creating) and close the database, then check and dump
//	boltcheck trylock FILE ro|rw      try to open within one second; prints OPENED or LOCKED
//	boltcheck hold FILE ro|rw SECONDS open, print HELD, keep the database (and its flock) open that long
//
// Dump lines (all names, keys and values hex-encoded; a bucket path joins names with '/'):
//
//	B <path>                 a bucket
//	K <path> <key> <value>   a key in a bucket
//	S <name>=<n> ...         page statistics of the top-level buckets (branch, overflow, inline...)
//	E <message>              an error found by tx.Check(); the exit status is then 1
package main

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: boltcheck check|write|podman|init FILE [SEED OPS]")
		os.Exit(2)
	}
	mode, path := os.Args[1], os.Args[2]
	switch mode {
	case "check":
	case "write", "writenf":
		seed, _ := strconv.ParseInt(os.Args[3], 10, 64)
		ops, _ := strconv.Atoi(os.Args[4])
		if err := randomWrites(path, seed, ops, mode == "writenf"); err != nil {
			fmt.Println("E " + err.Error())
			os.Exit(1)
		}
	case "trylock":
		db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: os.Args[3] == "ro", Timeout: time.Second})
		if err == bolt.ErrTimeout {
			fmt.Println("LOCKED")
			os.Exit(0)
		} else if err != nil {
			fmt.Println("E " + err.Error())
			os.Exit(1)
		}
		db.Close()
		fmt.Println("OPENED")
		os.Exit(0)
	case "hold":
		db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: os.Args[3] == "ro", Timeout: 30 * time.Second})
		if err != nil {
			fmt.Println("E " + err.Error())
			os.Exit(1)
		}
		fmt.Println("HELD")
		secs, _ := strconv.Atoi(os.Args[4])
		time.Sleep(time.Duration(secs) * time.Second)
		db.Close()
		os.Exit(0)
	case "init":
		db, err := bolt.Open(path, 0600, &bolt.Options{Timeout: 30 * time.Second})
		if err != nil {
			fmt.Println("E " + err.Error())
			os.Exit(1)
		}
		db.Close()
	case "podman":
		if err := podmanLayout(path); err != nil {
			fmt.Println("E " + err.Error())
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown mode "+mode)
		os.Exit(2)
	}
	os.Exit(checkAndDump(path))
}

func checkAndDump(path string) int {
	db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: true, Timeout: 30 * time.Second})
	if err != nil {
		fmt.Println("E open: " + err.Error())
		return 1
	}
	defer db.Close()
	status := 0
	err = db.View(func(tx *bolt.Tx) error {
		for cerr := range tx.Check() {
			fmt.Println("E " + cerr.Error())
			status = 1
		}
		var stats bolt.BucketStats
		err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			stats.Add(b.Stats())
			return dumpBucket(hex.EncodeToString(name), b)
		})
		fmt.Printf("S branch=%d leaf=%d overflow=%d inline=%d buckets=%d depth=%d keys=%d txid=%d\n",
			stats.BranchPageN, stats.LeafPageN, stats.LeafOverflowN+stats.BranchOverflowN, stats.InlineBucketN,
			stats.BucketN, stats.Depth, stats.KeyN, tx.ID())
		return err
	})
	if err != nil {
		fmt.Println("E " + err.Error())
		return 1
	}
	return status
}

func dumpBucket(path string, b *bolt.Bucket) error {
	fmt.Println("B " + path)
	var prev []byte
	return b.ForEach(func(k, v []byte) error {
		if prev != nil && string(prev) >= string(k) {
			fmt.Printf("E bucket %s: keys out of order: %x then %x\n", path, prev, k)
		}
		prev = append([]byte(nil), k...)
		if v == nil {
			child := b.Bucket(k)
			if child == nil {
				return fmt.Errorf("bucket %s: key %x has no value and is not a bucket", path, k)
			}
			return dumpBucket(path+"/"+hex.EncodeToString(k), child)
		}
		fmt.Printf("K %s %s %s\n", path, hex.EncodeToString(k), hex.EncodeToString(v))
		return nil
	})
}

// randomWrites makes a database with every page kind: many keys (branch pages), large values
// (overflow pages), small nested buckets (inline) and large ones, then deletes some of it.
func randomWrites(path string, seed int64, ops int, noFreelist bool) error {
	db, err := bolt.Open(path, 0600, &bolt.Options{Timeout: 30 * time.Second, NoFreelistSync: noFreelist})
	if err != nil {
		return err
	}
	defer db.Close()
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < ops; i++ {
		err := db.Update(func(tx *bolt.Tx) error {
			top, err := tx.CreateBucketIfNotExists([]byte(fmt.Sprintf("top-%d", r.Intn(3))))
			if err != nil {
				return err
			}
			for j := 0; j < 1+r.Intn(20); j++ {
				switch op := r.Intn(10); {
				case op < 5:
					k := []byte(fmt.Sprintf("key-%05d", r.Intn(2000)))
					if top.Bucket(k) != nil {
						continue
					}
					v := []byte(strings.Repeat(string(rune('a'+r.Intn(26))), r.Intn(120)))
					if r.Intn(40) == 0 {
						v = []byte(strings.Repeat("L", 5000+r.Intn(9000)))
					}
					if err := top.Put(k, v); err != nil {
						return err
					}
				case op < 7:
					k := []byte(fmt.Sprintf("key-%05d", r.Intn(2000)))
					if top.Bucket(k) == nil {
						if err := top.Delete(k); err != nil {
							return err
						}
					}
				case op < 9:
					name := []byte(fmt.Sprintf("sub-%03d", r.Intn(50)))
					if top.Get(name) != nil {
						continue
					}
					sub, err := top.CreateBucketIfNotExists(name)
					if err != nil {
						return err
					}
					n := 1 + r.Intn(4)
					if r.Intn(5) == 0 {
						n = 40 + r.Intn(60)
					}
					for k := 0; k < n; k++ {
						if err := sub.Put([]byte(fmt.Sprintf("s%04d", r.Intn(500))), []byte(strings.Repeat("v", r.Intn(80)))); err != nil {
							return err
						}
					}
				default:
					name := []byte(fmt.Sprintf("sub-%03d", r.Intn(50)))
					if top.Bucket(name) != nil {
						if err := top.DeleteBucket(name); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// podmanLayout creates the top-level buckets libpod's NewBoltState creates.
func podmanLayout(path string) error {
	db, err := bolt.Open(path, 0600, &bolt.Options{Timeout: 30 * time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bolt.Tx) error {
		for _, n := range []string{"id-registry", "name-registry", "ns-registry", "ctr", "all-ctrs", "pod", "allPods",
			"vol", "allVolumes", "exec", "runtime-config", "exit-code", "exit-code-time-stamp", "volume-ctrs"} {
			if _, err := tx.CreateBucketIfNotExists([]byte(n)); err != nil {
				return err
			}
		}
		return nil
	})
}
