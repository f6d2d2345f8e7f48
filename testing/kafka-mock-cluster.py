#!/usr/bin/env python3
# librdkafka's mock cluster (a real Kafka wire-protocol broker, in Debian's librdkafka1) driven
# through ctypes, for tests that need partition counts and fault injection. Prints
# "bootstrap=host:port,..." once serving, then reads one command per line on stdin and answers
# "ok" or "error <reason>":
#   topic NAME PARTITIONS        create a topic
#   down BROKER_ID | up BROKER_ID
#   errors API_KEY ERR_CODE COUNT the next COUNT requests of API_KEY fail with ERR_CODE
# Exits when stdin closes, so the broker never outlives the test process that started it.
import ctypes, ctypes.util, sys

lib = ctypes.CDLL(ctypes.util.find_library('rdkafka') or 'librdkafka.so.1')
lib.rd_kafka_conf_new.restype = ctypes.c_void_p
lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
lib.rd_kafka_new.restype = ctypes.c_void_p
lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.rd_kafka_handle_mock_cluster.restype = ctypes.c_void_p
lib.rd_kafka_handle_mock_cluster.argtypes = [ctypes.c_void_p]
lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
lib.rd_kafka_mock_broker_set_down.argtypes = [ctypes.c_void_p, ctypes.c_int32]
lib.rd_kafka_mock_broker_set_up.argtypes = [ctypes.c_void_p, ctypes.c_int32]
lib.rd_kafka_mock_push_request_errors_array.argtypes = [ctypes.c_void_p, ctypes.c_int16, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]

brokers = sys.argv[1] if len(sys.argv) > 1 else '3'
errstr = ctypes.create_string_buffer(512)
conf = lib.rd_kafka_conf_new()
if lib.rd_kafka_conf_set(conf, b'test.mock.num.brokers', brokers.encode(), errstr, 512) != 0:
    sys.exit('conf: ' + errstr.value.decode())
rk = lib.rd_kafka_new(0, conf, errstr, 512)
if not rk:
    sys.exit('rd_kafka_new: ' + errstr.value.decode())
mcluster = lib.rd_kafka_handle_mock_cluster(rk)
print('bootstrap=' + lib.rd_kafka_mock_cluster_bootstraps(mcluster).decode(), flush=True)

for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    cmd, args = parts[0], parts[1:]
    try:
        if cmd == 'topic':
            err = lib.rd_kafka_mock_topic_create(mcluster, args[0].encode(), int(args[1]), 1)
        elif cmd == 'down':
            err = lib.rd_kafka_mock_broker_set_down(mcluster, int(args[0]))
        elif cmd == 'up':
            err = lib.rd_kafka_mock_broker_set_up(mcluster, int(args[0]))
        elif cmd == 'errors':
            count = int(args[2])
            codes = (ctypes.c_int * count)(*([int(args[1])] * count))
            lib.rd_kafka_mock_push_request_errors_array(mcluster, int(args[0]), count, codes)
            err = 0
        else:
            print('error unknown command ' + cmd, flush=True)
            continue
        print('ok' if err == 0 else 'error code %d' % err, flush=True)
    except Exception as e:  # a malformed command must not take the broker down
        print('error ' + str(e).replace('\n', ' '), flush=True)
