#!/usr/bin/python
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import MacvlanSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module
def main():
    run_module(MacvlanSpec())
if __name__ == '__main__':
    main()
